import { describe, expect, it } from 'vitest';
import { MIN_MARKS, offTopicProbability, trainOffTopic } from './classifier.js';

const offTopic = [
  'Job application: I would like to apply for the technician position, CV attached',
  'Partnership proposal for a joint marketing campaign',
  'Can you recommend a good accountant for our company',
  'Marketing partnership and sponsorship of our event',
  'Application for an internship in your sales team',
  'Do you sell office furniture? We need new desks',
];
const support = [
  'Work order export fails with error 500',
  'Cannot sign in after the password reset',
  'Mobile app does not sync work orders offline',
  'Invoice totals are wrong in the monthly export',
  'Technicians do not receive assignment notifications',
  'The meter readings chart shows the wrong units',
  'Error when attaching a photo to a work order',
  'Dashboard loads slowly since the update',
];

describe('the off-topic classifier', () => {
  it('says nothing until staff have marked enough tickets', () => {
    expect(trainOffTopic('en', offTopic.slice(0, MIN_MARKS - 1), support)).toBeNull();
    expect(trainOffTopic('en', offTopic, support.slice(0, 2))).toBeNull();
  });

  it('learns from the marks: a partnership offer reads off-topic, an error report does not', () => {
    const model = trainOffTopic('en', offTopic, support)!;
    expect(model.trainedOn).toBe(offTopic.length + support.length);
    expect(
      offTopicProbability(model, 'en', 'Proposal: sponsorship partnership for your marketing'),
    ).toBeGreaterThan(0.9);
    expect(offTopicProbability(model, 'en', 'Export of work orders fails with an error')).toBeLessThan(0.1);
  });

  it('gives one half to words it never saw', () => {
    const model = trainOffTopic('en', offTopic, support)!;
    expect(offTopicProbability(model, 'en', 'zyxwv qwertz')).toBe(0.5);
  });
});
