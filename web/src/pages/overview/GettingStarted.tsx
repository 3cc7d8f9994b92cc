/** First steps for a dealership that has not used the platform yet. */
import { Link } from "../../app/router";
import { Panel } from "../../components/Page";

export function GettingStarted() {
  return (
    <Panel title="Get started" className="getting-started">
      <ol className="getting-started-steps">
        <li><strong>Create an API key</strong> on <Link to="/settings/keys">API keys</Link> for each application (CRM, website chat, lead providers).</li>
        <li><strong>Send your first AI call</strong>: point the OpenAI or Anthropic SDK at this server's <code>/v1</code> with that key; it shows up under <Link to="/usage">Usage &amp; cost</Link>.</li>
        <li><strong>Automate follow-up</strong>: install the speed-to-lead template on <Link to="/workflows">Workflows</Link> and have lead providers post ADF to <code>/hooks/leads/adf</code>.</li>
        <li><strong>Set a budget</strong> so a runaway integration cannot overspend; <Link to="/operations">Operations</Link> shows when it would run out.</li>
      </ol>
    </Panel>
  );
}
