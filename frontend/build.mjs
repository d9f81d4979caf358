// Builds Commonweal's CSS from GOV.UK Frontend's Sass and copies its JavaScript and images
// into the Django static folder. Run by `npm run build` (the Makefile's install step).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(here, "..", "commonweal", "static", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const css = sass.compile(join(here, "src", "commonweal.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "commonweal.css"), css.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images"), join(out, "assets", "images"), { recursive: true });
console.log(`GOV.UK Frontend assets built into ${out}`);
