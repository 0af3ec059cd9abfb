/** Techniques addressed by a mitigation (`course-of-action`). */
import type { SafeHtml } from '../../render/html.js';
import type { PageContext } from '../page-context.js';
import { relatedSection, selectRelated } from './related.js';

export function renderMitigationFacts(context: PageContext): SafeHtml {
  return relatedSection(context, 'techniques-addressed', 'Techniques addressed by this mitigation', selectRelated(context, 'mitigates', 'outgoing', ['attack-pattern']), {
    nameLabel: 'Technique',
    descriptionLabel: 'Use',
    empty: 'This mitigation addresses no techniques in this release.',
  });
}
