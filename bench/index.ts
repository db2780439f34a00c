/**
 * `npm run bench [section...]`: runs each section (or only those named) in turn and prints its
 * numbers. Add a section by adding an entry to SECTIONS.
 */
import { benchCompiler } from "./compiler.ts";
import { benchEmulator } from "./emulator.ts";
import { benchGraph } from "./graph.ts";
import { benchPackage } from "./package.ts";
import { benchServe } from "./serve.ts";

const SECTIONS: Array<{ name: string; run: () => Promise<void> }> = [
  { name: "emulator", run: benchEmulator },
  { name: "compiler", run: benchCompiler },
  { name: "serve", run: benchServe },
  { name: "graph", run: benchGraph },
  { name: "package", run: benchPackage },
];

const only = process.argv.slice(2);
for (const section of SECTIONS.filter((s) => only.length === 0 || only.includes(s.name))) {
  console.log(`# ${section.name}`);
  await section.run();
}
