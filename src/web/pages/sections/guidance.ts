/** How security teams should use a page of this type: a default text per page kind, replaceable in the configuration. */
import { pageKindForType } from '../../../domain/object-types.js';
import { html, type SafeHtml } from '../../render/html.js';
import { section } from '../components.js';
import type { PageContext } from '../page-context.js';

const DEFAULT_GUIDANCE: Record<string, string> = {
  techniques:
    'Map your detections and controls to this technique. Start with the procedure examples to see how real adversaries use it, check which mitigations you already have, and use the detection section to decide which telemetry you need. Review the change history after each ATT&CK release before you update rules that cite it.',
  tactics:
    'Use the tactic to group coverage: list the techniques under it, mark which ones your detections and controls cover, and look for gaps before an adversary finds them.',
  mitigations:
    'Check which of the addressed techniques matter to your environment, confirm that the control is deployed and enforced, and record where it is missing. A mitigation reduces risk only where it is actually configured.',
  groups:
    'Use the group profile to prioritise: compare the techniques and software it uses with your detections, and test the most relevant ones in purple-team exercises. Aliases help match vendor reports that use other names.',
  software:
    'Use the software profile to hunt for the listed techniques and to check indicators from reports that name it under another alias. Groups and campaigns that use it show who may bring it to your network.',
  campaigns:
    'Use the campaign to understand a concrete intrusion: its time frame, who it is attributed to, and the techniques and software used. Compare them with your telemetry for the same period.',
  datasources:
    'Check whether you collect this data source, from which platforms, and which of its data components your detections rely on.',
  datacomponents:
    'Confirm that you collect the log sources listed here, and review the analytics that depend on them before you turn a log source off.',
  detectionstrategies:
    'Use the strategy as a blueprint: implement its analytics for the platforms you run, and tune the mutable elements to your environment.',
  analytics:
    'Implement the analytic on the listed platforms, make sure the log sources it needs are collected, and tune its mutable elements before you deploy it.',
  assets:
    'Identify where this asset exists in your industrial environment, and review the techniques that target it against your monitoring and segmentation.',
};

const FALLBACK_GUIDANCE =
  'Use this page as the reference for the object as MITRE published it: read the definition, follow the relationships, and check the change history before you rely on it.';

export function renderGuidance(context: PageContext): SafeHtml {
  const segment = pageKindForType(context.object.type)?.segment;
  const text = (segment && (context.config.guidance[segment] ?? DEFAULT_GUIDANCE[segment])) ?? FALLBACK_GUIDANCE;
  return section('guidance', 'How to use this page', html`<p>${text}</p>`);
}
