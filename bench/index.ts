/**
 * `npm run bench`: runs each section in turn and prints its numbers. Add a section by adding an
 * entry to SECTIONS.
 */
import { benchCompiler } from "./compiler.ts";
import { benchEmulator } from "./emulator.ts";
import { benchPackage } from "./package.ts";
import { benchServe } from "./serve.ts";

const SECTIONS: Array<{ name: string; run: () => Promise<void> }> = [
  { name: "emulator", run: benchEmulator },
  { name: "compiler", run: benchCompiler },
  { name: "serve", run: benchServe },
  { name: "package", run: benchPackage },
];

for (const section of SECTIONS) {
  console.log(`# ${section.name}`);
  await section.run();
}
