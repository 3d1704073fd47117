import "@mantine/core/styles.css";
import "./styles.css";
import { type CSSVariablesResolver, createTheme, MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ApiError } from "./lib/problem";
import { router } from "./router";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A problem answer (4xx) is the answer: asking again changes nothing. Network errors and 5xx: twice more.
      retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      // Fresh on every page: another admin, a backend or the worker may have changed what a page shows (a key
      // made through the API, a session ended); the cached answer shows at once while the new one loads.
      staleTime: 0,
    },
    mutations: { retry: false },
  },
});

// Colours that pass WCAG AA contrast (axe-core's color-contrast rule, tests/console/test_accessibility.py):
// filled controls and "light" text use the dark end of each palette, dimmed text a darker grey than Mantine's.
const theme = createTheme({
  primaryColor: "teal",
  primaryShade: 9,
  respectReducedMotion: true,
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  components: {
    // Plain objects, not Component.extend(): the theme must not pull Modal and Drawer into the first load.
    Anchor: { defaultProps: { underline: "always" } }, // links in text are told apart by more than colour
    Modal: { defaultProps: { closeButtonProps: { "aria-label": "Close" } } },
    Drawer: { defaultProps: { closeButtonProps: { "aria-label": "Close" } } },
  },
});

const COLORS = ["teal", "red", "yellow", "orange", "blue", "gray", "green"] as const;
const deep = (color: string | undefined) => `color-mix(in srgb, ${color} 65%, black)`;
const contrast: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": t.colors.gray[7] as string,
    "--mantine-color-anchor": deep(t.colors.teal[9]),
    "--mantine-primary-color-light-color": deep(t.colors.teal[9]),
    ...Object.fromEntries(
      COLORS.flatMap((c) => [
        [`--mantine-color-${c}-light-color`, deep(t.colors[c]?.[9])],
        [`--mantine-color-${c}-filled`, t.colors[c]?.[9] as string],
        [`--mantine-color-${c}-filled-hover`, t.colors[c]?.[8] as string],
        [`--mantine-color-${c}-text`, deep(t.colors[c]?.[9])],
      ]),
    ),
  },
  dark: {},
});

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={contrast}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} context={{ queryClient }} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
