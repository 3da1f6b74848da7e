/** The lab's training worker (the page's production entry); see worker/host.ts. */
import { serveLab } from './worker/host';

serveLab();
