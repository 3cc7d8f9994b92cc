/** One card of the overview, a region named by its title; the title links to the page with the details. */
import { type ReactNode, useId } from "react";
import { Link } from "../../app/router";

export function OverviewCard({ title, to, children, footer }: { title: string; to: string; children: ReactNode; footer?: ReactNode }) {
  const id = useId();
  return (
    <section className="panel overview-card" aria-labelledby={id}>
      <header className="panel-header">
        <h2 id={id}>
          <Link to={to} className="overview-card-link">{title}<span aria-hidden="true"> →</span></Link>
        </h2>
      </header>
      <div className="overview-card-body">{children}</div>
      {footer ? <div className="overview-card-footer muted small">{footer}</div> : null}
    </section>
  );
}

/** The card's headline number with what it counts. */
export function BigNumber({ value, label }: { value: ReactNode; label: string }) {
  return (
    <div className="big-number">
      <span className="big-number-value">{value}</span>
      <span className="big-number-label muted">{label}</span>
    </div>
  );
}

/** What to do when a card has nothing to show yet. */
export function CardHint({ children }: { children: ReactNode }) {
  return <p className="overview-hint muted small">{children}</p>;
}
