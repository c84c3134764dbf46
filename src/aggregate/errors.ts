/** Partials that cannot be built or merged: the message names both sides of the conflict. */
import { UserFacingError } from '../errors.js';

export class PartialError extends UserFacingError {
  override readonly name = 'PartialError';
}
