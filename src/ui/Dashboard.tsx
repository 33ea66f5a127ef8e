import { Box, Text } from 'ink';
import type { Line, Tone } from './frame.js';

const COLORS: Record<Tone, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  title: { color: 'cyan', bold: true },
  accent: { color: 'cyan' },
  dim: { dimColor: true },
  good: { color: 'green' },
  warn: { color: 'yellow', bold: true },
  bad: { color: 'red', bold: true },
};

/**
 * Renders a pre-built frame: every string was formatted before React sees it, so a render is
 * just layout. `color` false (NO_COLOR) drops every style.
 */
export function Dashboard({ lines, color }: { lines: readonly Line[]; color: boolean }) {
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line.length === 0
            ? ' '
            : line.map((s, k) => (
                <Text key={k} {...(color && s.tone ? COLORS[s.tone] : {})}>
                  {s.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}
