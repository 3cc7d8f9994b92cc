/** The part of the `ws` client the CPU profiler uses (the package ships no types). */
declare module "ws" {
  import type { EventEmitter } from "node:events";

  export default class WebSocket extends EventEmitter {
    constructor(url: string, options?: { maxPayload?: number });
    send(data: string): void;
    close(): void;
  }
}
