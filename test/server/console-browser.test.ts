import { spawn, spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliAsync, LOCAL_AWS_ENV } from "../pipeline/cli.ts";

/** Debian's chromium (`apt-get install -y chromium`, which .ci/run does); without it the test is skipped, saying so. */
const chromium = spawnSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).stdout.trim();
if (!chromium) console.warn("console-browser.test.ts: skipped, chromium is not installed (apt-get install -y chromium)");

const MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:console-callback";

describe.skipIf(!chromium)("the console page in a real browser", () => {
  let serve: ReturnType<typeof spawn>;
  let url = "";
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    serve = spawn(process.execPath, ["cli/bin.mjs", "serve", "--port", "0", "--quiet"]);
    url = await new Promise<string>((resolve, reject) => {
      let out = "";
      serve.stdout!.on("data", (d) => {
        out += d;
        const m = /API on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      serve.once("exit", () => reject(new Error(`serve exited: ${out}`)));
    });
    const deployed = await cliAsync(["deploy", "test/fixtures/handlers/console-callback.ts", "--name", "console-callback", "--endpoint-url", url], LOCAL_AWS_ENV);
    expect(deployed.code, deployed.stderr).toBe(0);
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ["--no-sandbox"] });
  }, 300_000); // serve, a deploy (esbuild) and a browser start: minutes on a loaded machine

  afterAll(async () => {
    await browser?.close();
    serve?.kill("SIGTERM");
  });

  async function open(hash: string): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
    page.on("pageerror", (err) => pageErrors.push(String(err)));
    await page.goto(`${url}/${hash}`);
    return page;
  }

  it("lists the machine, starts an execution, answers its callback from the page, and shows it succeed", async () => {
    const page = await open("");
    await page.waitForSelector("#machines tbody a");
    expect(await page.$$eval("#machines tbody a", (links) => links.map((a) => a.textContent))).toEqual(["console-callback"]);
    await page.click("#machines tbody a");

    await page.waitForSelector("#machine-graph svg [data-state]", { timeout: 60_000 });
    await page.$eval("#start-input", (input) => ((input as HTMLTextAreaElement).value = '{"item":"lamp"}'));
    await page.click("#start-button");

    // The execution view: the callback waits, its state is coloured as waiting, the one before as succeeded.
    await page.waitForSelector(".callback textarea", { timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('#execution-graph [data-status="waiting"]') !== null);
    const waitingState = await page.$eval(".callback", (box) => (box as HTMLElement).dataset.state);
    expect(await page.$eval(`#execution-graph [data-state="${waitingState}"]`, (g) => (g as SVGElement).dataset.status)).toBe("waiting");
    expect(await page.$eval('#execution-graph [data-state="check"]', (g) => (g as SVGElement).dataset.status)).toBe("succeeded");
    expect(await page.$eval("#execution-status", (s) => s.textContent)).toBe("RUNNING");
    await page.screenshot({ path: path.join(os.tmpdir(), "durable2sfn-console-waiting.png"), fullPage: true });

    await page.$eval(".callback textarea", (input) => ((input as HTMLTextAreaElement).value = '{"approved":true}'));
    await page.click('.callback button[data-action="succeed"]');
    await page.waitForFunction(() => document.querySelector("#execution-status")?.textContent === "SUCCEEDED", { timeout: 60_000 });
    expect(JSON.parse(await page.$eval("#execution-output", (o) => o.textContent ?? ""))).toEqual({ item: "LAMP", answer: { approved: true } });
    expect(await page.$eval(`#execution-graph [data-state="${waitingState}"]`, (g) => (g as SVGElement).dataset.status)).toBe("succeeded");
    expect(await page.$$eval(".callback", (boxes) => boxes.length)).toBe(0);
    const types = await page.$$eval("#events tbody tr td:nth-child(2)", (cells) => cells.map((c) => c.textContent));
    expect(types.at(0)).toBe("ExecutionStarted");
    expect(types.at(-1)).toBe("ExecutionSucceeded");
    await page.screenshot({ path: path.join(os.tmpdir(), "durable2sfn-console-succeeded.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("a result that is not JSON is reported on the page and nothing is sent; Stop aborts the execution", async () => {
    const page = await open(`#/machine/${encodeURIComponent(MACHINE)}`);
    await page.waitForSelector("#start-button");
    await page.$eval("#start-input", (input) => ((input as HTMLTextAreaElement).value = '{"item":"desk"}'));
    await page.click("#start-button");
    await page.waitForSelector(".callback textarea", { timeout: 60_000 });
    await page.$eval(".callback textarea", (input) => ((input as HTMLTextAreaElement).value = "{not json"));
    await page.click('.callback button[data-action="succeed"]');
    await page.waitForFunction(() => document.querySelector("#notice")?.textContent?.startsWith("The result is not JSON") === true);
    expect(await page.$eval("#execution-status", (s) => s.textContent)).toBe("RUNNING");
    await page.click("#stop-button");
    await page.waitForFunction(() => document.querySelector("#execution-status")?.textContent === "ABORTED", { timeout: 60_000 });
    expect(await page.$eval("#execution-error", (e) => e.textContent)).toBe("Console: Stopped from the console page");
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
