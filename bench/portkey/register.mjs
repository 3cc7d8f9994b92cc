// Preloaded into Portkey's process (node --import); see node-server-shim.mjs for why.
import { register } from "node:module";

register("./resolve-hook.mjs", import.meta.url);
