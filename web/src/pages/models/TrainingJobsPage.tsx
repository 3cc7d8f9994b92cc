/**
 * Training: datasets (upload with progress) and fine-tuning jobs, whose status, progress,
 * cost and ETA follow the provider live (training.updated over the live socket).
 */
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import { type LiveMessage, useLive } from "../../api/live";
import { useApi } from "../../api/use-api";
import { useMe } from "../../app/me";
import type { PageProps } from "../../app/routes";
import { Badge } from "../../components/Badge";
import { Button } from "../../components/Button";
import { Page, Panel } from "../../components/Page";
import { DataView, Empty } from "../../components/States";
import { CancelJobDialog } from "./CancelJobDialog";
import { CreateJobDialog } from "./CreateJobDialog";
import { DatasetsTable } from "./DatasetsTable";
import { DatasetUpload } from "./DatasetUpload";
import { isJobStatus, newer } from "./job-status";
import { JobsTable } from "./JobsTable";
import type { TrainingJob } from "./types";

export default function TrainingJobsPage(_props: PageProps) {
  const { can } = useMe();
  const canWrite = can("models:write");
  const jobs = useApi(() => unwrap(api.GET("/training-jobs", { params: { query: { limit: 100 } } })).then((r) => r.data), []);
  const datasets = useApi(() => unwrap(api.GET("/datasets")).then((r) => r.data), []);
  const models = useApi(() => unwrap(api.GET("/models")).then((r) => r.data), []);
  const [creating, setCreating] = useState(false);
  const [cancelling, setCancelling] = useState<TrainingJob | null>(null);

  const put = (job: TrainingJob) =>
    jobs.setData((cur) => {
      if (!cur) return cur;
      const known = cur.find((j) => j.id === job.id);
      if (!known) return [job, ...cur];
      return newer(known, job) ? cur.map((j) => (j.id === job.id ? job : j)) : cur;
    });

  const onLive = (msg: LiveMessage) => {
    if (msg.type !== "training.updated") return;
    const { jobId, status, progress } = msg.data;
    if (typeof jobId !== "string" || !isJobStatus(status)) return;
    // The message carries status and progress; cost and ETA come with the job itself.
    jobs.setData((cur) => cur?.map((j) => (j.id === jobId ? newerStatus(j, status, typeof progress === "number" ? progress : j.progress) : j)));
    unwrap(api.GET("/training-jobs/{id}", { params: { path: { id: jobId } } })).then(put, () => undefined);
  };
  const live = useLive(["training"], onLive);

  return (
    <Page
      title="Training jobs"
      description="Fine-tune a base model on your own conversations. A finished job registers its model version in the registry."
      actions={
        <>
          <span className="live-status" aria-live="polite"><Badge tone={live === "open" ? "success" : "neutral"}>{live === "open" ? "Live" : "Connecting…"}</Badge></span>
          {canWrite ? <Button onClick={() => setCreating(true)} disabled={!datasets.data?.length}>New training job</Button> : null}
        </>
      }
    >
      <Panel title="Jobs">
        <DataView state={jobs} isEmpty={(rows) => rows.length === 0} empty={<Empty title="No training jobs yet">Upload a dataset below, then start a job from it.</Empty>}>
          {(rows) => <JobsTable jobs={rows} canWrite={canWrite} onCancel={setCancelling} />}
        </DataView>
      </Panel>
      <Panel title="Datasets">
        {canWrite ? <DatasetUpload onUploaded={(d) => datasets.setData((cur) => [d, ...(cur ?? []).filter((x) => x.id !== d.id)])} /> : null}
        <DataView state={datasets} isEmpty={(rows) => rows.length === 0} empty={<Empty title="No datasets yet">Chat-format JSONL: one {"{\"messages\": [...]}"} example a line, ending with the assistant&apos;s answer.</Empty>}>
          {(rows) => <DatasetsTable datasets={rows} />}
        </DataView>
      </Panel>
      {creating ? (
        <CreateJobDialog
          open
          datasets={datasets.data ?? []}
          models={models.data ?? []}
          onClose={() => setCreating(false)}
          onCreated={(job) => {
            setCreating(false);
            put(job);
          }}
        />
      ) : null}
      {cancelling ? <CancelJobDialog job={cancelling} onClose={() => setCancelling(null)} onCancelled={put} /> : null}
    </Page>
  );
}

function newerStatus(job: TrainingJob, status: TrainingJob["status"], progress: number): TrainingJob {
  const next = { ...job, status, progress };
  return newer(job, next) ? next : job;
}
