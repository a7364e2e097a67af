/** Jest globalSetup: start the suite with an empty log folder (see log-capture.ts). */
import { resetLogDir } from './log-capture';

export default function globalSetup(): void {
  resetLogDir();
}
