/** The part of @jridgewell/trace-mapping 0.3 the CPU profiler uses (its exports map hides its own types). */
declare module "@jridgewell/trace-mapping" {
  export class TraceMap {
    constructor(map: string);
  }
  export function originalPositionFor(map: TraceMap, needle: { line: number; column: number }): { source: string | null; line: number | null; column: number | null; name: string | null };
}
