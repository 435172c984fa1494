// The browser demo's HTTP server: the page's files, the built package under /pkg/ (the page
// imports "neon-edge" and "neon-edge/postgres" through an import map derived from the package's
// own `browser` exports, so it loads exactly what a bundler targeting browsers would), and
// /config.json telling the page where the services are.
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const pkgDir = join(root, "pkg");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** Builds the npm package into pkg/ unless both of its browser modules are already there. */
export function ensureBuiltPackage() {
  const built = ["neon_edge_bg.wasm", "neon_edge_postgres_bg.wasm", "package.json"].every((f) => existsSync(join(pkgDir, f)));
  if (!built) execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit", cwd: root });
}

/**
 * The import map for the package's entries: every export with a `browser` condition, e.g.
 * "neon-edge" -> "/pkg/browser.js", "neon-edge/postgres" -> "/pkg/postgres/browser.js".
 */
export function importMap() {
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const imports = {};
  for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
    if (typeof conditions !== "object" || typeof conditions.browser !== "string") continue;
    imports[manifest.name + subpath.slice(1)] = "/pkg/" + conditions.browser.replace(/^\.\//, "");
  }
  if (!imports[manifest.name] || !imports[`${manifest.name}/postgres`]) {
    throw new Error(`pkg/package.json has no browser export for ${manifest.name} and ${manifest.name}/postgres`);
  }
  return { imports };
}

/** The services the page talks to by default: an emulator's three bases. */
export function emulatorConfig(emulatorUrl) {
  const base = emulatorUrl.replace(/\/+$/, "");
  return {
    target: "emulator",
    managementBaseUrl: `${base}/api/v2`,
    claimableBaseUrl: `${base}/api/v1`,
    sqlEndpoint: `${base}/sql`,
  };
}

/** A path under `dir` for a URL path, or null when it would leave `dir`. */
function inside(dir, urlPath) {
  const file = normalize(join(dir, decodeURIComponent(urlPath)));
  return file === dir || file.startsWith(dir + sep) ? file : null;
}

/**
 * Serves the page on 127.0.0.1. Resolves to `{ url, close() }` once listening; `port` 0 takes
 * a free port.
 */
export async function startDemoServer({ emulatorUrl, port = 0 }) {
  const config = JSON.stringify(emulatorConfig(emulatorUrl));
  const map = JSON.stringify(importMap(), null, 2);
  const server = createServer(async (req, res) => {
    const send = (status, type, body) => {
      // No caching: a rebuilt package or an edited page shows on the next reload.
      res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "method not allowed\n");
    let path;
    try {
      path = new URL(req.url, "http://localhost").pathname;
    } catch {
      return send(400, "text/plain", "bad request\n");
    }
    if (path === "/config.json") return send(200, TYPES[".json"], config);
    let file;
    try {
      file = path.startsWith("/pkg/") ? inside(pkgDir, path.slice("/pkg/".length))
        : inside(join(here, "page"), path === "/" ? "index.html" : path.slice(1));
    } catch {
      file = null; // a malformed %-escape
    }
    if (!file) return send(404, "text/plain", "not found\n");
    try {
      let body = await readFile(file);
      if (file.endsWith("index.html")) body = body.toString("utf8").replace("<!-- import map -->", `<script type="importmap">\n${map}\n</script>`);
      return send(200, TYPES[extname(file)] ?? "application/octet-stream", body);
    } catch {
      return send(404, "text/plain", "not found\n");
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
