import { execFileSync } from "node:child_process";

/**
 * Reads files of one commit out of a bare git directory (`git --git-dir <dir> show <commit>:<path>`),
 * with the commit's file list read once, to resolve the relative imports of a handler.
 */
export class GitSource {
  private tree: Set<string> | undefined;

  constructor(
    readonly gitDir: string,
    readonly commit: string,
  ) {}

  /** The file's text at the commit; throws when the commit or the path is not in the mirror. */
  read(file: string): string {
    return execFileSync("git", ["--git-dir", this.gitDir, "show", `${this.commit}:${file}`], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  }

  /** Whether the commit has a file (not a folder) at that path. */
  has(file: string): boolean {
    this.tree ??= new Set(
      execFileSync("git", ["--git-dir", this.gitDir, "ls-tree", "-r", "--name-only", "-z", this.commit], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })
        .split("\0")
        .filter((f) => f !== ""),
    );
    return this.tree.has(file);
  }
}
