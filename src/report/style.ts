/** The look shared by every figure of the report. */
/** Plot-area width: with the y axis and padding the figures come out about 560 px wide. */
export const WIDTH = 470;
export const HEIGHT = 260;
const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
export const BAND_OPACITY = 0.18;

export const CONFIG = {
  font: FONT,
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: { orient: 'bottom', direction: 'horizontal', labelFontSize: 12, labelLimit: 400, symbolStrokeWidth: 3 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  title: { fontSize: 13, fontWeight: 'bold', anchor: 'start' },
} as const;
