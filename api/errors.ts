/** Something the user's project lacks (a package only one command needs): printed as one line, exit 2. */
export class SetupError extends Error {}

/** esbuild could not bundle a handler's fragments (an import it cannot resolve, say): one line, nothing written. */
export class BundleError extends Error {}
