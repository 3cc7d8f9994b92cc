/**
 * The dashboard: sign-in when there is no session, else the signed-in frame with the page
 * the URL names. /me is loaded once per session and shared through MeContext.
 */
import { Suspense, useEffect, useState } from "react";
import { api, unwrap } from "../api/client";
import { currentSession, onSessionChange } from "../api/session";
import { useApi } from "../api/use-api";
import { Empty, ErrorState, Loading } from "../components/States";
import { Toaster } from "../components/Toast";
import { Layout } from "./Layout";
import { MeContext } from "./me";
import { matchPath, useLocation } from "./router";
import { ROUTES } from "./routes";
import { SignIn } from "./SignIn";

function useSignedIn(): boolean {
  const [signedIn, setSignedIn] = useState(() => currentSession() !== null);
  useEffect(() => onSessionChange(() => setSignedIn(currentSession() !== null)), []);
  return signedIn;
}

function CurrentPage() {
  const { pathname } = useLocation();
  for (const route of ROUTES) {
    const params = matchPath(route.path, pathname);
    if (params) {
      const Page = route.page;
      return (
        <Suspense fallback={<Loading />}>
          <Page key={pathname} params={params} />
        </Suspense>
      );
    }
  }
  return <Empty title="Page not found">There is no page at {pathname}.</Empty>;
}

function SignedIn() {
  const me = useApi(() => unwrap(api.GET("/me")), []);
  if (me.error) return <main className="main"><ErrorState error={me.error} onRetry={() => void me.reload()} /></main>;
  if (!me.data) return <main className="main"><Loading label="Signing in…" /></main>;
  return (
    <MeContext.Provider value={{ me: me.data, reload: () => void me.reload() }}>
      <Layout>
        <CurrentPage />
      </Layout>
    </MeContext.Provider>
  );
}

export function App() {
  const signedIn = useSignedIn();
  return (
    <>
      {signedIn ? <SignedIn /> : <SignIn />}
      <Toaster />
    </>
  );
}
