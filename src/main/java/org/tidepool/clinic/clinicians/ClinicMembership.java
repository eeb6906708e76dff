package org.tidepool.clinic.clinicians;

import org.tidepool.clinic.clinics.Clinic;

/** A clinician record with its clinic. */
public record ClinicMembership(Clinician clinician, Clinic clinic) {}
