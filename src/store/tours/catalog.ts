import { crashTour } from './crash';
import { electionTour } from './election';
import { figure8Tour } from './figure8';
import { membersTour } from './members';
import { nondeterminismTour } from './nondeterminism';
import { partitionTour } from './partition';
import { readsTour } from './reads';
import { replicationTour } from './replication';
import { rsmTour } from './rsm';
import { snapshotsTour } from './snapshots';
import { transferTour } from './transfer';
import type { Tour } from './types';

/** The guided tours, in the order a newcomer should take them. */
export const TOURS: readonly Tour[] = [rsmTour, electionTour, replicationTour, crashTour, partitionTour, figure8Tour, readsTour, nondeterminismTour, snapshotsTour, membersTour, transferTour];
