/** A time-zone input: free text with the browser's IANA zone list as suggestions; the API checks it. */
import { type InputHTMLAttributes, useId } from "react";
import { TextField } from "../../components/Field";

const ZONES: string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

export function TimeZoneField({ label = "Time zone", error, hint, ...rest }: { label?: string; error?: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const listId = useId();
  return (
    <>
      <TextField label={label} list={listId} autoComplete="off" spellCheck={false} placeholder="America/Chicago" error={error} hint={hint} {...rest} />
      <datalist id={listId}>
        {ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
