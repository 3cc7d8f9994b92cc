/**
 * The live socket (/api/v1/live): `useLive(["runs"], (msg) => ...)` subscribes to topic
 * groups (`runs`, `run:<id>`, `training`, `usage`, `operations`) and reconnects with backoff.
 * The access token goes in the WebSocket subprotocol, never in the URL.
 */
import { useEffect, useRef, useState } from "react";
import { currentSession, refreshSession } from "./session";

export type LiveMessage = { type: string; at: number; data: Record<string, unknown> };
export type LiveStatus = "connecting" | "open" | "closed";

export function useLive(topics: string[], onMessage: (msg: LiveMessage) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const key = topics.join(",");

  useEffect(() => {
    let socket: WebSocket | null = null;
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const connect = () => {
      const token = currentSession()?.accessToken;
      if (!token || stopped) return;
      setStatus("connecting");
      const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/live`;
      socket = new WebSocket(url, [`bearer.${token}`]);
      socket.onopen = () => {
        attempt = 0;
        setStatus("open");
        socket?.send(JSON.stringify({ type: "subscribe", topics: key.split(",").filter(Boolean) }));
      };
      socket.onmessage = (e) => {
        try {
          const msg = JSON.parse(String(e.data)) as LiveMessage;
          if (msg && typeof msg.type === "string" && msg.data) handler.current(msg);
        } catch {
          // Not a frame of ours.
        }
      };
      socket.onclose = (e) => {
        setStatus("closed");
        if (stopped) return;
        // 1008 = policy (expired token): refresh before reconnecting.
        const again = () => {
          timer = setTimeout(connect, Math.min(30_000, 500 * 2 ** attempt++));
        };
        if (e.code === 1008) void refreshSession().then((ok) => ok && again());
        else again();
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [key]);

  return status;
}
