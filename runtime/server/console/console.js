// The console page of `durable2sfn serve`: plain JavaScript, no build step. It reads and acts through
// serve's console routes (/console/api/<Operation>, the Step Functions operations the page may call;
// /console/graph, the machine drawn as SVG; /console/execution, each state's status). Everything
// shown is put in as text, never as HTML; only the SVG that serve drew is parsed.

const $ = (selector, root = document) => root.querySelector(selector);
const POLL_MS = 1000;
let timer;
let generation = 0; // each view opened gets the next; a view's refreshes stop when another view is opened

/** One Step Functions operation through the console's route; an error becomes `Type: message`. */
async function call(operation, body = {}) {
  const response = await fetch(`/console/api/${operation}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Durable2sfn-Console": "1" },
    body: JSON.stringify(body),
  });
  return answerOf(response);
}

async function answerOf(response) {
  const value = await response.json();
  if (!response.ok) throw new Error(`${String(value.__type ?? "Error").split("#").pop()}: ${value.message ?? response.statusText}`);
  return value;
}

async function getJson(path) {
  return answerOf(await fetch(path));
}

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "onclick") node.addEventListener("click", value);
    else node[key] = value;
  }
  for (const child of [children].flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
  return node;
}

const when = (seconds) => (seconds === undefined || seconds === null ? "-" : new Date(seconds * 1000).toLocaleString());
const link = (hash, text) => element("a", { href: hash }, text);
const machineHash = (arn) => `#/machine/${encodeURIComponent(arn)}`;
const executionHash = (arn) => `#/execution/${encodeURIComponent(arn)}`;
const short = (text, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function notice(text, isError = false) {
  const box = $("#notice");
  box.textContent = text;
  box.className = isError ? "error" : "";
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows.map((cells) => element("tr", {}, cells.map((cell) => element("td", {}, cell)))));
}

function show(id, crumbs) {
  for (const section of document.querySelectorAll("main > section")) section.hidden = section.id !== id;
  $("#crumbs").replaceChildren(...crumbs.flatMap((c) => [" / ", c]));
}

/**
 * Runs `refresh` now and, while it returns true, again every second until another view opens. A view
 * left while it still loaded (its graph drawn, say) does not start: it would stop the new view's refreshes.
 */
function poll(mine, refresh) {
  if (mine !== generation) return;
  clearTimeout(timer);
  const tick = async () => {
    let again = false;
    try {
      again = await refresh();
    } catch (err) {
      notice(err.message, true);
    }
    if (again && mine === generation) timer = setTimeout(tick, POLL_MS);
  };
  return tick();
}

async function machinesView(mine) {
  show("machines-view", []);
  $("#machines-view .url").textContent = location.origin;
  await poll(mine, async () => {
    const { stateMachines } = await call("ListStateMachines");
    fill($("#machines tbody"), stateMachines.map((m) => [link(machineHash(m.stateMachineArn), m.name), m.type, when(m.creationDate)]));
    $("#machines-view .empty").hidden = stateMachines.length > 0;
    return true;
  });
}

const graphs = new Map();

/**
 * The machine's SVG from serve, parsed once per revision (UpdateStateMachine makes a new one); a
 * copy per view, since a node has one parent.
 */
async function graphOf(machine) {
  const key = `${machine.stateMachineArn} ${machine.revisionId}`;
  if (!graphs.has(key)) {
    const response = await fetch(`/console/graph?arn=${encodeURIComponent(machine.stateMachineArn)}`);
    if (!response.ok) return element("p", { className: "empty" }, "No graph: this serve draws none.");
    graphs.set(key, new DOMParser().parseFromString(await response.text(), "image/svg+xml").documentElement);
  }
  return document.importNode(graphs.get(key), true);
}

async function machineView(mine, stateMachineArn) {
  const machine = await call("DescribeStateMachine", { stateMachineArn });
  // The button works before the view shows it: a click while the graph is still drawn must not be lost.
  $("#start-button").onclick = async () => {
    const input = $("#start-input").value;
    try {
      JSON.parse(input);
    } catch (err) {
      return notice(`The input is not JSON: ${err.message}`, true);
    }
    try {
      const name = $("#start-name").value.trim();
      const { executionArn } = await call("StartExecution", { stateMachineArn, input, ...(name && { name }) });
      notice("Execution started");
      location.hash = executionHash(executionArn);
    } catch (err) {
      notice(err.message, true);
    }
  };
  show("machine-view", [machine.name]);
  $("#machine-name").textContent = machine.name;
  $("#machine-graph").replaceChildren(await graphOf(machine));
  await poll(mine, async () => {
    const { executions } = await call("ListExecutions", { stateMachineArn });
    fill($("#executions tbody"), executions.map((e) => [link(executionHash(e.executionArn), e.name), badge(e.status), when(e.startDate), when(e.stopDate)]));
    return true;
  });
}

const badge = (status) => element("span", { className: "badge", dataset: { status: status.toLowerCase() } }, status);

async function executionView(mine, executionArn) {
  const first = await call("DescribeExecution", { executionArn });
  const machine = await call("DescribeStateMachine", { stateMachineArn: first.stateMachineArn });
  show("execution-view", [link(machineHash(machine.stateMachineArn), machine.name), first.name]);
  $("#execution-name").textContent = first.name;
  const graph = await graphOf(machine);
  graph.addEventListener("click", (event) => {
    const state = event.target.closest?.("[data-state]");
    if (state) document.querySelector(`#states tr[data-state="${CSS.escape(state.dataset.state)}"]`)?.scrollIntoView({ block: "center" });
  });
  $("#execution-graph").replaceChildren(graph);
  $("#callbacks").replaceChildren();
  $("#stop-button").onclick = async () => {
    try {
      await call("StopExecution", { executionArn, error: "Console", cause: "Stopped from the console page" });
      notice("Execution stopped");
    } catch (err) {
      notice(err.message, true);
    }
  };
  await poll(mine, async () => {
    const [execution, view, history] = await Promise.all([
      call("DescribeExecution", { executionArn }),
      getJson(`/console/execution?arn=${encodeURIComponent(executionArn)}`),
      allEvents(executionArn),
    ]);
    renderExecution(execution, view, history, graph);
    return execution.status === "RUNNING";
  });
}

async function allEvents(executionArn) {
  const events = [];
  let nextToken;
  do {
    const page = await call("GetExecutionHistory", { executionArn, maxResults: 1000, ...(nextToken && { nextToken }) });
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

function renderExecution(execution, view, events, graph) {
  const status = $("#execution-status");
  status.textContent = execution.status;
  status.dataset.status = execution.status.toLowerCase();
  const error = $("#execution-error");
  error.hidden = execution.error === undefined && execution.cause === undefined;
  error.textContent = [execution.error, execution.cause].filter(Boolean).join(": ");
  $("#stop-button").hidden = execution.status !== "RUNNING";
  $("#execution-input").textContent = pretty(execution.input);
  $("#execution-output").textContent = execution.output === undefined ? "-" : pretty(execution.output);

  const byName = new Map(view.states.map((s) => [s.name, s]));
  for (const node of graph.querySelectorAll("[data-state]")) {
    const run = byName.get(node.dataset.state);
    if (run) node.dataset.status = run.status;
    else delete node.dataset.status;
  }
  $("#states tbody").replaceChildren(
    ...view.states.map((s) =>
      element("tr", { dataset: { state: s.name } }, [
        element("td", {}, s.name),
        element("td", {}, s.type),
        element("td", {}, badge(s.status)),
        element("td", {}, String(s.visits)),
        element("td", {}, element("pre", {}, pretty(s.input))),
        element("td", {}, element("pre", {}, s.error !== undefined ? [s.error, s.cause].filter(Boolean).join(": ") : pretty(s.output))),
      ]),
    ),
  );
  fill($("#events tbody"), events.map((e) => [String(e.id), e.type, stateOfEvent(e), when(e.timestamp), element("code", { title: detailsText(e) }, short(detailsText(e)))]));
  renderCallbacks(view.waiting);
}

function pretty(text) {
  if (text === undefined || text === null) return "-";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return String(text);
  }
}

const stateOfEvent = (e) => e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name ?? "";

function detailsText(e) {
  const key = Object.keys(e).find((k) => k.endsWith("EventDetails"));
  return key ? JSON.stringify(e[key]) : "";
}

/** One form per task waiting for a token; kept while the same tasks wait, so that typing is not lost. */
function renderCallbacks(waiting) {
  const box = $("#callbacks");
  const key = waiting.map((w) => w.taskToken).join(" ");
  if (box.dataset.tokens === key) return;
  box.dataset.tokens = key;
  box.replaceChildren(...waiting.map(callbackForm));
}

function callbackForm({ taskToken, stateName }) {
  const result = element("textarea", { className: "result", rows: 3, spellcheck: false, value: "{}" });
  const errorName = element("input", { className: "error-name", placeholder: "error (fail)", autocomplete: "off" });
  const cause = element("input", { className: "cause", placeholder: "cause (fail)", autocomplete: "off" });
  const send = (operation, body, done) => async () => {
    try {
      await call(operation, { taskToken, ...body() });
      notice(done);
    } catch (err) {
      notice(err.message, true);
    }
  };
  const succeed = () => {
    try {
      JSON.parse(result.value);
    } catch (err) {
      throw new Error(`The result is not JSON: ${err.message}`); // reported, and nothing is sent
    }
    return { output: result.value };
  };
  return element("div", { className: "callback", dataset: { state: stateName } }, [
    element("h2", {}, ["Waiting: ", stateName]),
    element("p", {}, ["Task token (the callback id): ", element("code", {}, taskToken)]),
    element("label", {}, "Result (JSON)"),
    result,
    element("div", { className: "buttons" }, [
      element("button", { type: "button", dataset: { action: "succeed" }, onclick: send("SendTaskSuccess", succeed, "Callback answered: success") }, "Succeed"),
      errorName,
      cause,
      element("button", { type: "button", dataset: { action: "fail" }, onclick: send("SendTaskFailure", () => ({ error: errorName.value || undefined, cause: cause.value || undefined }), "Callback answered: failure") }, "Fail"),
      element("button", { type: "button", dataset: { action: "heartbeat" }, onclick: send("SendTaskHeartbeat", () => ({}), "Heartbeat sent") }, "Heartbeat"),
    ]),
  ]);
}

async function route() {
  notice("");
  const mine = ++generation;
  const [, view, arn] = /^#\/(machine|execution)\/(.+)$/.exec(location.hash) ?? [];
  try {
    if (view === "machine") await machineView(mine, decodeURIComponent(arn));
    else if (view === "execution") await executionView(mine, decodeURIComponent(arn));
    else await machinesView(mine);
  } catch (err) {
    notice(err.message, true);
  }
}

window.addEventListener("hashchange", route);
route();
