// .env file I/O for Node around the pure core merge: read, write atomically (temp file in
// the same directory + rename, mode kept), and check .gitignore coverage (never edit it).
import * as nodeFs from "node:fs";
import { spawnSync } from "node:child_process";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/** The file's text, or "" when it does not exist. */
export function readEnvText(path, { fs = nodeFs } = {}) {
  try {
    return fs.readFileSync(path, "utf8");
  } catch (e) {
    if (e.code === "ENOENT") return "";
    throw e;
  }
}

/** Where writing `path` really lands: the target of a symlink, so the link survives. */
function realTarget(path, fs) {
  try {
    return fs.realpathSync(path);
  } catch (e) {
    if (e.code === "ENOENT") return resolve(path);
    throw e;
  }
}

/**
 * Replaces `path` with `text` atomically: the text goes to a temp file in the same
 * directory, is flushed, then renamed over the original. A crash or failure before the
 * rename leaves the original untouched. An existing file's mode is kept; a new file gets
 * 0600, as it holds credentials. `fs` can be swapped (tests inject failures).
 */
export function writeFileAtomic(path, text, { fs = nodeFs } = {}) {
  const target = realTarget(path, fs);
  const dir = dirname(target);
  let mode = 0o600;
  try {
    mode = fs.statSync(target).mode & 0o7777;
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  let fd;
  try {
    fd = fs.openSync(temp, "wx", mode);
    fs.writeFileSync(fd, text, "utf8");
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.chmodSync(temp, mode); // the umask may have narrowed it
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing */ }
    }
    try { fs.unlinkSync(temp); } catch { /* never created, or already renamed */ }
    throw e;
  }
  try {
    // Make the rename itself durable where the platform allows opening a directory.
    const dfd = fs.openSync(dir, "r");
    try { fs.fsyncSync(dfd); } finally { fs.closeSync(dfd); }
  } catch { /* not supported (e.g. Windows): the rename is still atomic */ }
}

function findRepoRoot(dir, fs) {
  for (let d = dir; ; d = dirname(d)) {
    if (fs.existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return null;
  }
}

function globToRegExp(glob) {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") {
      if (glob[i + 1] === "*") { out += ".*"; i++; } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else { out += "[" + glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\") + "]"; i = end; }
    } else out += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** Whether one .gitignore's patterns ignore `rel` (a path relative to that file's directory). */
function matchesGitignore(text, rel) {
  const parts = rel.split(sep).join("/");
  let ignored = false;
  for (let line of text.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith("#")) continue;
    line = line.replace(/(?<!\\)\s+$/, "");
    let negate = false;
    if (line.startsWith("!")) { negate = true; line = line.slice(1); }
    if (line.endsWith("/")) continue; // directory patterns never match the file itself
    const anchored = line.includes("/");
    const re = globToRegExp(line.replace(/^\//, ""));
    const hit = anchored ? re.test(parts) : re.test(parts.split("/").pop());
    if (hit) ignored = !negate;
  }
  return ignored;
}

/**
 * Whether git ignores `path`: asks `git check-ignore` when git and a repository are there,
 * otherwise reads the .gitignore files from the file's directory up to the repository root.
 */
export function isGitIgnored(path, { fs = nodeFs } = {}) {
  const abs = resolve(path);
  const dir = dirname(abs);
  const git = spawnSync("git", ["check-ignore", "-q", "--", abs], { cwd: dir, stdio: "ignore" });
  if (git.status === 0) return true;
  if (git.status === 1) return false;
  const root = findRepoRoot(dir, fs) ?? dir;
  let ignored = false;
  for (let d = dir; ; d = dirname(d)) {
    const file = join(d, ".gitignore");
    if (fs.existsSync(file) && matchesGitignore(fs.readFileSync(file, "utf8"), relative(d, abs))) ignored = true;
    if (d === root || dirname(d) === d) break;
  }
  return ignored;
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM"; // alive, owned by someone else
  }
}

/** The lock's holder, or null when the file is gone; a torn or foreign file reads as {}. */
function readLock(path, fs) {
  try {
    const text = fs.readFileSync(path, "utf8");
    try { return { ...JSON.parse(text), mtimeMs: fs.statSync(path).mtimeMs }; } catch { return { mtimeMs: fs.statSync(path).mtimeMs }; }
  } catch (e) {
    if (e.code === "ENOENT") return null;
    throw e;
  }
}

/** Stale: its process is gone (same host), or it stopped refreshing (another host, a torn file). */
function isStale(holder, staleMs) {
  if (holder.host === hostname() && Number.isInteger(holder.pid)) return !processAlive(holder.pid);
  return Date.now() - holder.mtimeMs > staleMs;
}

/**
 * Takes an exclusive lock file at `path` (created with O_EXCL), waiting while another live
 * process holds it; a lock left by a killed process (or one not refreshed for `staleMs`) is
 * taken over. Resolves to `release()`. `onWait(holder)` is called once if it has to wait.
 * Two processes that find the same stale lock cannot both take it over: the stale file is
 * renamed aside and only the one that moved that very file removes it.
 */
export async function acquireLock(path, { fs = nodeFs, staleMs = 30_000, timeoutMs = 300_000, pollMs = 100, onWait } = {}) {
  const nonce = randomBytes(8).toString("hex");
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  for (;;) {
    try {
      const fd = fs.openSync(path, "wx", 0o600);
      try { fs.writeFileSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), nonce, since: new Date().toISOString() })); } finally { fs.closeSync(fd); }
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
    const holder = readLock(path, fs);
    if (holder && isStale(holder, staleMs)) {
      const aside = `${path}.${nonce}.stale`;
      try { fs.renameSync(path, aside); } catch (e) { if (e.code === "ENOENT") continue; throw e; }
      const moved = readLock(aside, fs);
      if (moved && moved.nonce !== holder.nonce) {
        // A live lock replaced the stale one between the check and the rename: put it back.
        try { fs.linkSync(aside, path); } catch { /* taken again meanwhile */ }
      }
      fs.rmSync(aside, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw Object.assign(new Error(`timed out waiting for the lock ${path} (held by process ${holder?.pid ?? "?"}); remove it if no other process is running`), { code: "lock_timeout" });
    }
    if (!waited && holder) { waited = true; onWait?.(holder); }
    await sleep(pollMs);
  }
  // Refresh the mtime so a process on another host can tell a live lock from a stale one.
  const heartbeat = setInterval(() => {
    try { const now = new Date(); fs.utimesSync(path, now, now); } catch { /* released or taken over */ }
  }, Math.max(1000, staleMs / 3));
  heartbeat.unref?.();
  return function release() {
    clearInterval(heartbeat);
    const holder = readLock(path, fs);
    if (holder?.nonce === nonce) fs.rmSync(path, { force: true });
  };
}
