import type { Command } from "commander";

export function registerGraph(_program: Command, _setExit: (code: number) => void): void {}
