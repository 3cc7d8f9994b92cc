/**
 * The widget's stylesheet. It lives inside the widget's shadow root, so it cannot touch the
 * dealer's page and the page's styles cannot reach in (`all: initial` stops inheritance).
 */
export const WIDGET_CSS = [
  ":host{all:initial;position:fixed;bottom:20px;z-index:2147483000;font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328}",
  ":host(.right){right:20px}:host(.left){left:20px}",
  "*{box-sizing:border-box}",
  ".launcher{width:56px;height:56px;border-radius:50%;border:0;background:var(--accent);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}",
  ".launcher svg{width:26px;height:26px;fill:currentColor}",
  "button:focus-visible,textarea:focus-visible{outline:3px solid var(--accent);outline-offset:2px}",
  ".panel{position:absolute;bottom:72px;width:min(380px,calc(100vw - 40px));height:min(560px,calc(100vh - 120px));background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}",
  ":host(.right) .panel{right:0}:host(.left) .panel{left:0}",
  ".panel[hidden]{display:none}",
  "header{background:var(--accent);color:#fff;padding:12px 14px;display:flex;align-items:center;justify-content:space-between;gap:8px}",
  "header h2{font-size:16px;margin:0;font-weight:600}",
  ".close{background:transparent;border:0;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:4px 8px;border-radius:6px}",
  ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f7f9}",
  ".msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;word-wrap:break-word}",
  ".msg.assistant{align-self:flex-start;background:#fff;border:1px solid #e3e6ea}",
  ".msg.user{align-self:flex-end;background:var(--accent);color:#fff}",
  ".msg.error{align-self:center;background:#fdecea;color:#8a1c12;font-size:13px}",
  ".sources{display:block;margin-top:6px;font-size:12px;color:#57606a}",
  "form{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e6ea;background:#fff}",
  "textarea{flex:1;resize:none;border:1px solid #c9ced4;border-radius:10px;padding:8px 10px;font:inherit;min-height:40px;max-height:120px}",
  ".send{border:0;border-radius:10px;background:var(--accent);color:#fff;padding:0 14px;font:inherit;font-weight:600;cursor:pointer}",
  ".send:disabled{opacity:.5;cursor:default}",
  ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
  "@media (max-width:480px){:host{bottom:12px}:host(.right){right:12px}:host(.left){left:12px}",
  ".panel{position:fixed;inset:0;width:100vw;height:100%;border-radius:0}}",
].join("\n");
