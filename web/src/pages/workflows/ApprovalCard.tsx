/**
 * One approval waiting for a person: what the workflow proposes (editable where it is
 * text), approve — with the edits — or reject with a reason (asked for in a dialog).
 */
import { type FormEvent, useState } from "react";
import { ApiError, api, type Schemas, unwrap } from "../../api/client";
import { Link } from "../../app/router";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Dialog } from "../../components/Dialog";
import { TextArea, TextField } from "../../components/Field";
import { Panel } from "../../components/Page";
import { toast } from "../../components/Toast";
import { dateTime, relative } from "../../lib/format";
import { editableFields, editedData, fieldLabel, readAsk } from "./approval-request";
import { isRecord } from "./graph/steps";

type Approval = Schemas["PendingApproval"];

function ReadOnlyData({ data, editable }: { data: unknown; editable: Record<string, string> }) {
  if (!isRecord(data)) return null;
  const rest = Object.entries(data).filter(([k]) => !(k in editable));
  if (!rest.length) return null;
  return (
    <dl className="wf-approval-facts">
      {rest.map(([k, v]) => (
        <div key={k}><dt>{fieldLabel(k)}</dt><dd>{typeof v === "object" ? JSON.stringify(v) : String(v)}</dd></div>
      ))}
    </dl>
  );
}

function RejectDialog({ open, busy, onClose, onReject }: { open: boolean; busy: boolean; onClose: () => void; onReject: (reason: string) => void }) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setError("Say why, so the team knows what to change.");
    onReject(reason.trim());
  };
  return (
    <Dialog open={open} title="Reject this proposal?" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextArea label="Reason" value={reason} onChange={(e) => { setReason(e.target.value); setError(null); }} rows={3} error={error} required />
        <div className="row">
          <Button type="submit" variant="danger" busy={busy}>Reject</Button>
          <Button variant="ghost" onClick={onClose}>Keep waiting</Button>
        </div>
      </form>
    </Dialog>
  );
}

type Props = { approval: Approval; workflowName: string; canDecide: boolean; onDecided: (a: Approval) => void; linkToRun?: boolean };

export function ApprovalCard({ approval, workflowName, canDecide, onDecided, linkToRun = true }: Props) {
  const ask = readAsk(approval.request, approval.stepId);
  const [edits, setEdits] = useState(() => editableFields(ask.data));
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState<"approve" | "reject" | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const decide = async (decision: "approve" | "reject", reason?: string) => {
    setBusy(decision);
    setError(null);
    try {
      const data = decision === "approve" ? editedData(ask.data, edits) : undefined;
      const note = decision === "reject" ? reason : comment.trim() || undefined;
      await unwrap(api.POST("/approvals/{runId}/{stepId}", { params: { path: { runId: approval.runId, stepId: approval.stepId } }, body: { decision, ...(note ? { comment: note } : {}), ...(data !== undefined ? { data } : {}) } }));
      toast(decision === "approve" ? (data !== undefined ? "Approved with your edits" : "Approved") : "Rejected");
      setRejecting(false);
      onDecided(approval);
    } catch (e) {
      setError(e instanceof ApiError ? `${e.message}${e.requestId ? ` (request ${e.requestId})` : ""}` : String(e));
    } finally {
      setBusy(null);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void decide("approve");
  };

  return (
    <Panel
      className="wf-approval"
      title={ask.title}
      actions={linkToRun ? <Link to={`/runs/${approval.runId}`}>Open run</Link> : <Link to="/approvals">All approvals</Link>}
    >
      <div className="row small muted wf-approval-meta">
        <Badge tone="info">{workflowName}</Badge>
        <span>step <code>{approval.stepId}</code></span>
        <span title={dateTime(approval.since)}>waiting {relative(approval.since).replace(" ago", "")}</span>
        {approval.expiresAt ? <span>expires {relative(approval.expiresAt)}</span> : null}
      </div>
      {ask.summary ? <blockquote className="wf-approval-summary">{ask.summary}</blockquote> : null}
      <form onSubmit={submit}>
        {Object.entries(edits).map(([key, value]) => (
          <TextArea key={key} label={fieldLabel(key)} value={value} rows={Math.min(12, Math.max(4, Math.ceil(value.length / 60) + 1))} readOnly={!canDecide} onChange={(e) => setEdits((cur) => ({ ...cur, [key]: e.target.value }))} className="wf-approval-text" hint={canDecide ? "Edit before approving if it needs a change." : undefined} />
        ))}
        <ReadOnlyData data={ask.data} editable={edits} />
        {canDecide ? (
          <>
            <TextField label="Comment (optional)" value={comment} onChange={(e) => setComment(e.target.value)} />
            {error ? <div className="field-error" role="alert">{error}</div> : null}
            <div className="row">
              <Button type="submit" busy={busy === "approve"} disabled={busy !== null}>Approve</Button>
              <Button variant="secondary" disabled={busy !== null} onClick={() => setRejecting(true)}>Reject…</Button>
            </div>
          </>
        ) : (
          <p className="muted small">You can see this approval but not decide it (it needs the workflows:approve permission).</p>
        )}
      </form>
      <RejectDialog open={rejecting} busy={busy === "reject"} onClose={() => setRejecting(false)} onReject={(reason) => void decide("reject", reason)} />
    </Panel>
  );
}
