// Builds web/dist, the Worker's static assets: web/public as it is.
import { cpSync, mkdirSync, rmSync } from "node:fs";

rmSync("web/dist", { recursive: true, force: true });
mkdirSync("web/dist", { recursive: true });
cpSync("web/public", "web/dist", { recursive: true });
