import { useState } from "react";

/** Preformatted code with a copy button (snippets, keys shown once, payloads). */
export function CodeBlock({ code, label = "Copy" }: { code: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(code).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="code-block">
      <pre><code>{code}</code></pre>
      <button type="button" className="btn btn-ghost code-copy" onClick={() => void copy()}>{copied ? "Copied" : label}</button>
    </div>
  );
}
