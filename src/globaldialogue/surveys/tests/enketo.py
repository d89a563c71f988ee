"""Enketo's open-source form engine in Chromium, for the tests: enketo-transformer turns an
XForm into Enketo's HTML form and XML model (its browser build, with Chromium's XSLT), and
enketo-core runs it: skip logic, constraints, required, calculations, then the filled
instance. Both come from npm (package.json) and are loaded as they are published, ES
modules, through an import map: Playwright answers the page's requests under PREFIX from
node_modules on the site's own origin, so nothing is built or served by the app.
The map widgets (Leaflet) and the date pickers are left out: our forms use neither."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

NODE_MODULES = Path(__file__).resolve().parents[4] / "node_modules"
ENKETO = NODE_MODULES / "enketo-core"
PREFIX = "/__enketo__/"
CORE = PREFIX + "enketo-core/src/js/"

IMPORTS = {
    "jquery": PREFIX + "shim/jquery.js",
    "jquery-touchswipe": PREFIX + "jquery-touchswipe/jquery.touchSwipe.js",
    "mergexml/mergexml": PREFIX + "commonjs/mergexml/mergexml.js",
    # A CommonJS package (require and module.exports), loaded through a small require of
    # its own: see XPATH below.
    "openrosa-xpath-evaluator": PREFIX + "shim/xpath.js",
    "openrosa-xpath-evaluator/src/date-extensions": PREFIX + "shim/xpath.js",
    "enketo/config": PREFIX + "enketo-core/config.js",
    "enketo/widgets": PREFIX + "shim/widgets.js",
    "enketo/translator": CORE + "fake-translator.js",
    "enketo/dialog": CORE + "fake-dialog.js",
    "enketo/file-manager": CORE + "file-manager.js",
    "enketo/xpath-evaluator-binding": CORE + "xpath-evaluator-binding.js",
}
SHIMS = {
    # jQuery's UMD wrapper sets window.jQuery when it finds no module system.
    "shim/jquery.js": f"import '{PREFIX}jquery/dist/jquery.js'; export default window.jQuery;",
    "shim/widgets.js": "export default [];",
}
XPATH_ROOT = NODE_MODULES / "openrosa-xpath-evaluator"
XPATH = """const sources = {%s};
const loaded = {};
function resolve(from, wanted) {
  if (!wanted.startsWith('.')) return wanted;
  const parts = from.split('/').slice(0, -1);
  for (const step of wanted.split('/')) {
    if (step === '..') parts.pop(); else if (step !== '.') parts.push(step);
  }
  const path = parts.join('/');
  return path.endsWith('.js') ? path : path + '.js';
}
function load(name) {
  if (!loaded[name]) {
    if (!(name in sources)) throw new Error(name + ' is not loaded here');
    const module = { exports: {} };
    loaded[name] = module;
    sources[name](module, module.exports, (wanted) => load(resolve(name, wanted)));
  }
  return loaded[name].exports;
}
export default load('src/openrosa-xpath.js');
const dates = load('src/date-extensions.js');
export const { BlankDate, getTimezoneOffsetAsTime, toISOLocalString } = dates;
"""
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Enketo</title>
<script type="importmap">{"imports": %(imports)s}</script></head>
<body><main id="form"></main>
<script type="module">
import { transform } from '%(prefix)senketo-transformer/dist/enketo-transformer/web/transformer.js';
import { Form } from '%(core)sform.js';
window.openForm = async (url) => {
  const xform = await (await fetch(url, {headers: {'X-OpenRosa-Version': '1.0'}})).text();
  const result = await transform({ xform });
  document.querySelector('#form').innerHTML = result.form;
  window.enketoForm = new Form(document.querySelector('#form form'), { modelStr: result.model });
  return window.enketoForm.init();
};
window.sendForm = async (url, xml) => {
  const body = new FormData();
  body.append('xml_submission_file', new Blob([xml], {type: 'text/xml'}), 'submission.xml');
  const sent = await fetch(url, {method: 'POST', body, headers: {'X-OpenRosa-Version': '1.0'}});
  return sent.status;
};
window.enketoReady = true;
</script></body></html>"""


def serve_enketo(page: Any) -> None:
    """Answer the page's requests under PREFIX from node_modules."""
    imports = {**IMPORTS, **_folders()}
    html = PAGE % {"imports": json.dumps(imports), "prefix": PREFIX, "core": CORE}

    def answer(route: Any) -> None:
        path = urlparse(route.request.url).path.removeprefix(PREFIX)
        if path == "index.html":
            route.fulfill(status=200, content_type="text/html", body=html)
            return
        try:
            route.fulfill(status=200, content_type="text/javascript", body=_module(path))
        except OSError:
            route.fulfill(status=404, body=f"{path} is not in node_modules")

    page.route(f"**{PREFIX}**", answer)


def _folders() -> dict[str, str]:
    """A folder imported as a module ("./dom") is its index.js; mapped rather than answered
    at the folder's address, so the imports inside index.js resolve from the folder."""
    found = {}
    for index in (NODE_MODULES / "enketo-core" / "src").rglob("index.js"):
        folder = PREFIX + str(index.parent.relative_to(NODE_MODULES))
        found[folder] = folder + "/index.js"
    return found


def _xpath() -> str:
    files = sorted((XPATH_ROOT / "src").rglob("*.js"))
    sources = ",\n".join(
        f"{json.dumps(str(f.relative_to(XPATH_ROOT)))}: function (module, exports, require) {{\n"
        f"{f.read_text(encoding='utf-8')}\n}}"
        for f in files
    )
    return XPATH % sources


def _module(path: str) -> str:
    if path == "shim/xpath.js":
        return _xpath()
    if path in SHIMS:
        return SHIMS[path]
    commonjs = path.startswith("commonjs/")
    file = NODE_MODULES / path.removeprefix("commonjs/")
    # Node's resolution, which the published sources assume: "./form-model" is
    # form-model.js ("./dom", dom/index.js, is in the import map: see _folders).
    for candidate in (file, file.with_name(file.name + ".js")):
        if candidate.is_file():
            file = candidate
            break
    source = file.read_text(encoding="utf-8")
    if commonjs:  # a UMD file that would otherwise look for `this`: give it `module`
        head = "const module = {exports: {}}; const exports = module.exports;"
        return f"{head}\n{source}\nexport default module.exports;"
    return source
