declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** Base URL of the simulators in tests. */
    SIM_URL: string;
  }
}
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("../workers/index");
  }
}
