// Billed minutes and sessions per day, drawn by uPlot (a small canvas chart library, loaded only with this
// chart). The canvas is an image to assistive technology: the same numbers are in a table beside it.
import "uplot/dist/uPlot.min.css";
import { Box, Button, Table } from "@mantine/core";
import { useElementSize } from "@mantine/hooks";
import { useEffect, useRef, useState } from "react";
import uPlot from "uplot";
import { day, minutes } from "../lib/format";

export interface DayPoint {
  day: string; // YYYY-MM-DD
  sessions: number;
  billed_seconds: number;
}

/** The days of `month` ("YYYY-MM"): the chart's x axis spans the whole month, however few days have sessions. */
function monthSpan(month: string): [number, number] {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const day = 86_400;
  return [Date.UTC(y, m - 1, 1) / 1000 - day / 2, Date.UTC(y, m, 1) / 1000 - day / 2];
}

export default function DayChart({ days, label, month }: { days: readonly DayPoint[]; label: string; month: string }) {
  const { ref: sized, width } = useElementSize();
  const target = useRef<HTMLDivElement>(null);
  const [table, setTable] = useState(false);

  useEffect(() => {
    if (!target.current || width < 50) return;
    const xs = days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
    const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
    const plot = new uPlot(
      {
        width,
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        scales: { x: { time: true, range: () => monthSpan(month) }, minutes: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          { space: 60 },
          { scale: "minutes", label: "billed minutes", size: 60 },
        ],
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        series: [
          {},
          {
            label: "Billed minutes",
            scale: "minutes",
            stroke: "#0ca678",
            fill: "rgba(12,166,120,0.35)",
            ...(bars ? { paths: bars } : {}),
            value: (_u, v) => (v === null ? "—" : `${v.toFixed(1)} min`),
          },
        ],
      },
      [xs, days.map((d) => d.billed_seconds / 60)],
      target.current,
    );
    return () => plot.destroy();
  }, [days, width, month]);

  const total = days.reduce((sum, d) => sum + d.billed_seconds, 0);
  return (
    <Box ref={sized}>
      <div ref={target} role="img" aria-label={`${label}: ${minutes(total)} billed minutes over ${days.length} day(s)`} />
      <Button variant="subtle" size="compact-xs" mt={4} onClick={() => setTable((t) => !t)} aria-expanded={table}>
        {table ? "Hide the numbers" : "Show the numbers"}
      </Button>
      {table && (
        <Table mt="xs" striped withTableBorder>
          <Table.Caption>{label}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Day (UTC)</Table.Th>
              <Table.Th>Sessions</Table.Th>
              <Table.Th>Billed minutes</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {days.map((d) => (
              <Table.Tr key={d.day}>
                <Table.Td>{day(d.day)}</Table.Td>
                <Table.Td>{d.sessions}</Table.Td>
                <Table.Td>{minutes(d.billed_seconds)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Box>
  );
}
