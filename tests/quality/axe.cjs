// Runs axe-core in headless Chromium on every HTML page given, and prints one JSON object:
// {"pages": N, "violations": [{page, id, impact, help, nodes: [target…]}]}.
// Usage: node axe.cjs CHROMIUM_PATH PAGE.html [PAGE.html …]
const { chromium } = require("playwright-core");
const { pathToFileURL } = require("node:url");
const { resolve } = require("node:path");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

(async () => {
  const [executablePath, ...pages] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const violations = [];
  try {
    const context = await browser.newContext();
    for (const page of pages) {
      const tab = await context.newPage();
      await tab.goto(pathToFileURL(resolve(page)).href, { waitUntil: "load" });
      await tab.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
      const result = await tab.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
        TAGS
      );
      for (const v of result.violations) {
        violations.push({
          page,
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
        });
      }
      await tab.close();
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ pages: pages.length, violations }, null, 1));
})().catch((err) => {
  console.error(err);
  process.exit(2);
});
