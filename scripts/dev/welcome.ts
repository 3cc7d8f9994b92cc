/**
 * What npm start prints once the stack is up: credentials and snippets that work as printed.
 */
import type { DemoCredentials } from "./demo-file.ts";

export function welcome(base: string, demo: DemoCredentials, providerLines: string[]): string {
  const key = demo.apiKey;
  return `
Auterity is running at ${base}
  ${providerLines.join("\n  ")}
  dealership group: ${demo.tenantName}
  admin sign-in:    ${demo.adminEmail} / ${demo.adminPassword}
  gateway API key:  ${key}
  API reference:    ${base}/api/docs

Try the OpenAI-compatible gateway with curl:

curl -s ${base}/v1/chat/completions \\
  -H "Authorization: Bearer ${key}" \\
  -H "content-type: application/json" \\
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"A customer asks about a 2024 Camry test drive"}]}'

Or with the openai SDK (from this folder), served by an Anthropic model:

node --input-type=module -e '
import OpenAI from "openai";
const client = new OpenAI({ baseURL: "${base}/v1", apiKey: "${key}" });
const reply = await client.chat.completions.create({ model: "claude-3-5-haiku-latest", messages: [{ role: "user", content: "Draft a reply to a service lead" }] });
console.log(reply.choices[0].message.content);'

Post a sample internet lead (ADF/XML); the speed-to-lead workflow drafts the reply:

curl -s ${base}/hooks/leads/adf \\
  -H "Authorization: Bearer ${key}" \\
  -H "content-type: application/xml" \\
  --data-binary @samples/adf/new-lead.xml

A few seconds later, the run and its drafted reply (output.reply):

curl -s "${base}/api/v1/runs?workflowId=speed-to-lead&limit=1" -H "Authorization: Bearer ${key}"

Press Ctrl-C to stop.
`;
}
