import { send } from "../pkg/send.js";
import { startLoopback } from "./loopback.mjs";
import { compare, ratio, fmt } from "./measure.mjs";
const server = await startLoopback();
const base = `${server.url}/api/v2`;
const apiKey = "napi_bench";
const projectId = JSON.parse((await import("node:fs")).readFileSync(new URL("./fixtures/get-project.json", import.meta.url))).project.id;
const url = process.argv[3] === "list" ? `${base}/projects?limit=100` : `${base}/projects/${projectId}`;
const headers = { authorization: `Bearer ${apiKey}`, accept: "application/json" };
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const raw = async () => (await fetch(url, { headers })).json();
const rawTimed = async () => {
  const c = new AbortController(); const t = setTimeout(() => c.abort(), 60000);
  try { return await (await fetch(url, { headers, signal: c.signal })).json(); } finally { clearTimeout(t); }
};
const timedBytes = async () => {
  const c = new AbortController(); const t = setTimeout(() => c.abort(), 60000);
  try { const r = await fetch(url, { headers, signal: c.signal }); return JSON.parse(utf8.decode(new Uint8Array(await r.arrayBuffer()))); } finally { clearTimeout(t); }
};
const timedText = async () => {
  const c = new AbortController(); const t = setTimeout(() => c.abort(), 60000);
  try { const r = await fetch(url, { headers, signal: c.signal }); return JSON.parse(await r.text()); } finally { clearTimeout(t); }
};
const viaSend = async () => { const [k, r, b] = await send(undefined, "GET", url, headers, undefined, 60000); return JSON.parse(utf8.decode(b)); };
const per = await compare({ raw, rawTimed, timedBytes, timedText, viaSend }, { calls: 2000, runs: Number(process.argv[2] ?? 5) });
for (const k of Object.keys(per)) console.log(k.padEnd(12), fmt(ratio(per[k], per.raw)));
server.close(); process.exit(0);
