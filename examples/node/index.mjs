// @ts-check
// neon-edge in Node: lists your projects, creates a branch and waits for it, then provisions a
// claimable database and queries it. `node index.mjs`; settings come from the environment
// (README.md beside this file).
import { runTour } from "../shared/tour.mjs";

process.exitCode = await runTour({ runtime: "node", version: `Node ${process.version}`, env: (name) => process.env[name] });
