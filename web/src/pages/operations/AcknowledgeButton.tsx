/** Acknowledges an anomaly (the banner and the Operations list both offer it). */
import { useState } from "react";
import { Button } from "../../components/Button";
import { toast } from "../../components/Toast";
import { acknowledge, type Anomaly } from "./anomalies";

export function AcknowledgeButton({ anomaly, label }: { anomaly: Anomaly; label: string }) {
  const [busy, setBusy] = useState(false);
  const ack = async () => {
    setBusy(true);
    try {
      await acknowledge(anomaly.id);
      toast("Anomaly acknowledged");
    } catch (e) {
      toast(`Could not acknowledge: ${(e as Error).message}`, "danger");
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="secondary" busy={busy} onClick={() => void ack()} aria-label={label}>
      Acknowledge
    </Button>
  );
}
