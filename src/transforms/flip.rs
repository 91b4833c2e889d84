//! Mirror flips: exact pixel copies, image and masks alike.

use super::geometry::GroupElement;
use super::spec::{Family, Fields, TransformInfo};
use super::{DynTransform, NoParams, Projection, Transform};
use crate::error::Result;
use crate::image::Sample;
use crate::kernels::flip;
use crate::rng::Rng;

pub const HORIZONTAL_FLIP: TransformInfo = TransformInfo {
    name: "HorizontalFlip",
    family: Family::Flips,
    description: "Mirrors the image left to right.",
    caution: Some("Wrong where left and right mean something: text, road-side traffic, asymmetric organs."),
    default_p: 0.5,
    params: &[],
};

pub const VERTICAL_FLIP: TransformInfo = TransformInfo {
    name: "VerticalFlip",
    family: Family::Flips,
    description: "Mirrors the image top to bottom.",
    caution: Some("Rarely plausible for a fixed, upright camera (street scenes, portraits); fine for aerial, microscope or texture images."),
    default_p: 0.5,
    params: &[],
};

pub struct HorizontalFlip;
pub struct VerticalFlip;

pub fn build_horizontal(_: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(HorizontalFlip))
}

pub fn build_vertical(_: &Fields) -> Result<Box<dyn DynTransform>> {
    Ok(Box::new(VerticalFlip))
}

impl Transform for HorizontalFlip {
    type Params = NoParams;
    fn sample_params(&self, _: &mut Rng, _: &Sample) -> NoParams {
        NoParams {}
    }
    fn apply(&self, _: &NoParams, sample: &mut Sample) -> Result<()> {
        sample.planes_mut().for_each(flip::horizontal);
        Ok(())
    }
    fn projection(&self, _: &NoParams, w: u32, h: u32) -> Option<Projection> {
        Some(GroupElement::H.projection(w, h))
    }
}

impl Transform for VerticalFlip {
    type Params = NoParams;
    fn sample_params(&self, _: &mut Rng, _: &Sample) -> NoParams {
        NoParams {}
    }
    fn apply(&self, _: &NoParams, sample: &mut Sample) -> Result<()> {
        sample.planes_mut().for_each(flip::vertical);
        Ok(())
    }
    fn projection(&self, _: &NoParams, w: u32, h: u32) -> Option<Projection> {
        Some(GroupElement::V.projection(w, h))
    }
}
