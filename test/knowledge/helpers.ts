/**
 * Knowledge-base test data and calls: a dealership's service FAQ, an inventory export, and
 * uploads through the API.
 */
import { z } from "zod";
import { call, expectOk, type Reply } from "../api/helpers";

export const SERVICE_FAQ = `# Service department FAQ

## Tire rotation
We recommend rotating your tires every 5,000 to 7,500 miles, or at every other oil change. Rotation evens out tread wear and keeps the warranty valid.

## Oil changes
Most late-model vehicles need synthetic oil changed every 7,500 to 10,000 miles. Check the maintenance minder on your dashboard.

## Brake inspection
Brake pads are inspected free with any service visit. Squealing or grinding means the pads should be replaced soon.

## Service hours
The service drive is open Monday to Friday 7am to 6pm and Saturday 8am to 2pm. Loaner cars are available with an appointment.

## Financing
Our finance team works with credit unions and banks to find a rate. Bring two recent pay stubs and proof of insurance.
`;

export const INVENTORY_CSV = [
  "Year,Make,Model,Trim,Color,Mileage,Price,Stock",
  '2021,Honda,CR-V,EX,Red,"32,000","$24,500",H1234',
  '2020,Honda,CR-V,LX,Blue,"41,200","$22,900",H1187',
  '2022,Honda,Civic,Sport,Red,"18,400","$23,750",H1302',
  '2019,Toyota,RAV4,XLE,White,"52,300","$23,100",T0871',
  '2023,Toyota,Camry,SE,Black,"9,800","$27,400",T0925',
  '2018,Ford,F-150,XLT,Silver,"68,000","$28,995",F0412',
  '2021,Chevrolet,Equinox,LT,Gray,"35,600","$21,300",C0333',
  '2022,Honda,Pilot,EX-L,Black,"27,900","$36,800",H1350',
].join("\n");

export const KnowledgeBase = z.object({ id: z.string(), name: z.string(), embeddingModel: z.string(), dimensions: z.number(), version: z.number() });
export const KnowledgeDocument = z.object({
  id: z.string(),
  knowledgeBaseId: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.enum(["processing", "ready", "failed"]),
  chunkCount: z.number(),
  error: z.string().nullable(),
});
export const Hit = z.object({
  chunkId: z.string(),
  documentId: z.string(),
  documentName: z.string(),
  title: z.string().nullable(),
  text: z.string(),
  score: z.number(),
  citation: z.object({ documentId: z.string(), documentName: z.string(), title: z.string().nullable(), chunkIndex: z.number() }),
});
export const Hits = z.object({ data: z.array(Hit) });

export async function createBase(token: string, body: Record<string, unknown> = { name: "Smith Motors" }): Promise<z.infer<typeof KnowledgeBase>> {
  return expectOk(await call("POST", "/knowledge-bases", { token, body }), 201, KnowledgeBase);
}

/** Uploads raw text with its media type, named in ?name=. */
export function upload(token: string, kbId: string, name: string, text: string, contentType: string, headers: Record<string, string> = {}): Promise<Reply> {
  return call("POST", `/knowledge-bases/${kbId}/documents?name=${encodeURIComponent(name)}`, { token, raw: text, contentType, headers });
}

export async function uploadReady(token: string, kbId: string, name: string, text: string, contentType: string): Promise<z.infer<typeof KnowledgeDocument>> {
  const doc = expectOk(await upload(token, kbId, name, text, contentType), 201, KnowledgeDocument);
  if (doc.status !== "ready") throw new Error(`document ${name} is ${doc.status}: ${doc.error}`);
  return doc;
}

export async function search(token: string, kbId: string, query: string, topK?: number): Promise<z.infer<typeof Hit>[]> {
  return expectOk(await call("POST", `/knowledge-bases/${kbId}/search`, { token, body: topK === undefined ? { query } : { query, topK } }), 200, Hits).data;
}
