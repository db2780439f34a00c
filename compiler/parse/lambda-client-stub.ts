import { ts } from "ts-morph";

/**
 * The SDK's declarations import three types from `@aws-sdk/client-lambda` (the `client` option
 * and the SDK's own API client). Following that import makes TypeScript read about 500 more
 * declaration files (the Lambda client, @smithy/*), two thirds of a handler's program and a third
 * of its type-check time, for types no handler needs unless it passes a client of its own.
 *
 * So the compiler first reads that package's entry as the declarations below: classes with a
 * private member, so that only a real client (or `any`) is assignable, as with the real types.
 * If any file of the program other than the SDK's own imports the package (a handler that builds
 * a LambdaClient, a library that uses it), or the SDK imports a name not declared here, the
 * program is read again with the real package (`needsRealLambdaClient`): the type-check then is
 * exactly tsc's.
 */
export const LAMBDA_CLIENT_STUB = `// durable2sfn: the types the durable execution SDK imports from @aws-sdk/client-lambda.
export declare class LambdaClient { private readonly durable2sfnStub: never; }
export declare class CheckpointDurableExecutionCommand { private readonly durable2sfnStub: never; }
export declare class GetDurableExecutionStateCommand { private readonly durable2sfnStub: never; }
`;

const STUBBED_NAMES = new Set(["LambdaClient", "CheckpointDurableExecutionCommand", "GetDurableExecutionStateCommand"]);

const PACKAGE = "@aws-sdk/client-lambda";

/** The package's types entry (its package.json `types`), the one file the stub stands for. */
export const isLambdaClientEntry = (fileName: string): boolean => /[\\/]node_modules[\\/]@aws-sdk[\\/]client-lambda[\\/]dist-types[\\/]index\.d\.ts$/.test(fileName);

const IN_SDK = /[\\/]node_modules[\\/]@aws[\\/]durable-execution-sdk-js[\\/]/;

/** Whether the program read with the stub must be read again with the real package (see above). */
export function needsRealLambdaClient(files: readonly ts.SourceFile[]): boolean {
  for (const file of files) {
    if (isLambdaClientEntry(file.fileName) || !file.text.includes(PACKAGE)) continue;
    if (!IN_SDK.test(file.fileName)) return true;
    if (!importsOnlyStubbedNames(file)) return true;
  }
  return false;
}

/**
 * The SDK file names the package only in `import { ... } from` declarations of the declared
 * classes (`import type { A as B }` included); an `import("...")` type, a re-export or another
 * name needs the real package.
 */
function importsOnlyStubbedNames(file: ts.SourceFile): boolean {
  let only = true;
  const visit = (node: ts.Node): void => {
    if (!only) return;
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === PACKAGE) {
      const bindings = node.importClause?.namedBindings;
      const names = bindings && ts.isNamedImports(bindings) && !node.importClause?.name ? bindings.elements.map((e) => (e.propertyName ?? e.name).text) : undefined;
      if (!names?.every((name) => STUBBED_NAMES.has(name))) only = false;
      return;
    }
    if (ts.isStringLiteral(node) && node.text === PACKAGE) {
      only = false;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return only;
}
