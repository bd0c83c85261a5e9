//! Event coding: CAMEO events from parsed sentences and actor mentions.

pub mod modality;
