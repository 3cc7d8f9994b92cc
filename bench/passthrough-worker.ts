/**
 * The floor for a gateway in workerd: forwards POST /v1/chat/completions to UPSTREAM
 * (an OpenAI-compatible base URL) with the caller's headers and body, streams the answer
 * back, and does nothing else.
 */
type PassthroughEnv = { UPSTREAM: string };

export default {
  async fetch(req: Request, env: PassthroughEnv): Promise<Response> {
    const url = new URL(req.url);
    if (req.method !== "POST" || url.pathname !== "/v1/chat/completions") return new Response("not found", { status: 404 });
    const headers = new Headers(req.headers);
    headers.delete("host");
    return fetch(`${env.UPSTREAM}/chat/completions`, { method: "POST", headers, body: req.body });
  },
} satisfies ExportedHandler<PassthroughEnv>;
