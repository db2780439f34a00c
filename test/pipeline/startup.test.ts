import { Command, Help } from "commander";
import { describe, expect, it } from "vitest";
import { COMMANDS, requestedCommand } from "../../cli/command-index.ts";
import { cli } from "./cli.ts";

/**
 * `durable2sfn --help` lists the commands from cli/command-index.ts without loading them; each
 * entry must say what the command itself says once it is loaded.
 */
describe("start-up", () => {
  it.each(Object.keys(COMMANDS))("the index lists %s as the command describes itself", async (name) => {
    const program = new Command();
    (await COMMANDS[name].load())(program, () => {});
    const command = program.commands.find((c) => c.name() === name)!;
    expect(COMMANDS[name].term).toBe(new Help().subcommandTerm(command));
    expect(COMMANDS[name].summary).toBe(command.description());
  });

  it("finds the command asked for, also after help", () => {
    expect(requestedCommand(["build", "x.ts", "--out", "o"])).toBe("build");
    expect(requestedCommand(["help", "run"])).toBe("run");
    expect(requestedCommand(["--help"])).toBeUndefined();
  });

  it("prints the version of package.json and lists every command in --help", async () => {
    const { version } = (await import("../../package.json", { with: { type: "json" } })).default;
    expect(cli(["--version"])).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = cli(["--help"]);
    expect(help.code).toBe(0);
    for (const entry of Object.values(COMMANDS)) expect(help.stdout.replace(/\s+/g, " ")).toContain(entry.term);
  });

  it("shows a command's own options in its help", () => {
    const help = cli(["help", "run"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--scenario <file>");
  });
});
