// A Vite app with a Postgres database from the first `vite dev`: neon-edge/vite creates it and
// writes DATABASE_URL to the env file; the /api/notes route below reads rows from it on the
// dev server (the connection string never reaches the browser).
import { defineConfig, loadEnv } from "vite";
import { postgres } from "neon-edge/vite";
import { sql } from "neon-edge/postgres";

/** GET /api/notes on the dev server: the notes table as JSON. */
function notesApi() {
  return {
    name: "notes-api",
    configureServer(server) {
      server.middlewares.use("/api/notes", async (_req, res) => {
        const { DATABASE_URL } = loadEnv(server.config.mode, server.config.envDir || server.config.root, "");
        res.setHeader("content-type", "application/json");
        if (!DATABASE_URL) {
          res.statusCode = 503;
          return res.end(JSON.stringify({ error: "no DATABASE_URL: see the dev server's log" }));
        }
        try {
          const db = sql(DATABASE_URL, { endpoint: process.env.NEON_SQL_ENDPOINT });
          const { rows } = await db.query("SELECT id, body FROM notes ORDER BY id");
          res.end(JSON.stringify({ rows }));
        } catch (e) {
          res.statusCode = 500;
          res.end(JSON.stringify({ error: e.message })); // neon-edge never puts the password in a message
        }
      });
    },
  };
}

export default defineConfig(({ mode }) => ({
  // `node local.mjs` runs in mode "emulator": its databases live as long as the emulator, so
  // their env file is kept apart (in .emulator/) from a real one in this directory.
  envDir: mode === "emulator" ? ".emulator" : ".",
  plugins: [
    postgres({
      referrer: "neon-edge-example-vite-app",
      seed: { type: "sql-script", path: "schema.sql" },
      baseUrl: process.env.NEON_CLAIMABLE_URL, // unset: https://neon.new/api/v1
      sqlEndpoint: process.env.NEON_SQL_ENDPOINT,
    }),
    notesApi(),
  ],
}));
