//! Parity of calibration, trees, suspect model and document classifier with the Python
//! reference, on golden data from `tests/data/make_models.py` (real eval texts' suspects).

mod models_support;

use models_support::{data_file, float, floats, golden, Agreement};
use serde_json::Value;
use spindetect_engine::calibration::{FalseDiscoveryControl, NullDistribution};
use spindetect_engine::suspects::{SuspectModel, SUSPECT_FEATURES};
use spindetect_engine::verdict::{features, DocumentModel, Evidence};

const TOLERANCE: f64 = 1e-12;

fn records(kind: &str) -> Vec<Value> {
    let all = golden("models.jsonl.gz");
    all.into_iter().filter(|r| r["kind"] == kind).collect()
}

#[test]
fn p_values_match_python() {
    let null = NullDistribution::from_file(&data_file("null_statistics.json")).expect("null");
    let mut agreement = Agreement::default();
    let golden = records("p_value");
    assert!(golden.len() > 500);
    for record in &golden {
        let statistic = float(&record["statistic"]);
        let want = float(&record["p"]);
        agreement.check(
            null.p_value(statistic),
            want,
            TOLERANCE,
            &format!("p({statistic})"),
        );
    }
    let statistics: Vec<f64> = golden.iter().map(|r| float(&r["statistic"])).collect();
    let many = null.p_values(&statistics);
    assert!(many
        .iter()
        .zip(&statistics)
        .all(|(p, s)| *p == null.p_value(*s)));
    assert_eq!(null.p_value(f64::NAN), 1.0);
    println!("p-values: {agreement:?}");
}

#[test]
fn q_values_match_python() {
    let mut agreement = Agreement::default();
    let golden = records("q_values");
    assert!(golden.len() >= 100);
    for record in &golden {
        let p_values = floats(&record["p_values"]);
        let certain = record["certain"].as_u64().expect("certain") as usize;
        let min_suspects = record["min_suspects"].as_u64().expect("min") as usize;
        let control =
            FalseDiscoveryControl::new(&p_values, certain, min_suspects).expect("control");
        assert_eq!(control.certain(), certain);
        for (probe, want) in floats(&record["probes"])
            .into_iter()
            .zip(floats(&record["q"]))
        {
            agreement.check(control.q_value(probe), want, TOLERANCE, "q-value");
        }
    }
    assert!(FalseDiscoveryControl::new(&[0.1, f64::NAN], 0, 0).is_err());
    println!("q-values: {agreement:?}");
}

#[test]
fn suspect_model_matches_python() {
    let model = SuspectModel::from_file(&data_file("suspect_model.json")).expect("model");
    let (mut trees, mut ratios_agree, mut others) = (
        Agreement::default(),
        Agreement::default(),
        Agreement::default(),
    );
    let golden = records("suspects");
    assert!(golden.len() >= 40);
    for record in &golden {
        let name = record["name"].as_str().unwrap_or_default();
        let rows: Vec<f64> = record["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .flat_map(floats)
            .collect();
        let scored = record["scored_rows"].as_u64().expect("scored") as usize;
        let decision = model.trees().decision(&rows).expect("decision");
        for (got, want) in decision.iter().zip(floats(&record["decision"])) {
            trees.check(*got, want, TOLERANCE, &format!("{name}: decision"));
        }
        let width = SUSPECT_FEATURES.len();
        for (row, want) in rows.chunks(width).zip(floats(&record["decision"])) {
            let one = model.trees().decision_row(row).expect("row");
            assert_eq!(one, model.trees().decision(row).expect("one row")[0]);
            trees.check(one, want, TOLERANCE, &format!("{name}: decision_row"));
        }
        let ratios = model.log_ratios(&rows[..scored * width]).expect("ratios");
        let want_ratios = floats(&record["log_ratios"]);
        assert_eq!(ratios.len(), want_ratios.len());
        for (got, want) in ratios.iter().zip(&want_ratios) {
            ratios_agree.check(*got, *want, TOLERANCE, &format!("{name}: log ratio"));
        }
        // The rest from Python's own ratios, so each stage is compared on equal inputs.
        for (artefacts, want) in record["evidence"].as_object().expect("evidence") {
            let artefacts: usize = artefacts.parse().expect("count");
            let got = model.evidence(&want_ratios, artefacts);
            others.check(got, float(want), TOLERANCE, &format!("{name}: evidence"));
        }
        for (weight, want) in record["shares"].as_object().expect("shares") {
            let weight: f64 = weight.parse().expect("weight");
            let got = SuspectModel::estimate_share(&want_ratios, weight);
            others.check(got, float(want), TOLERANCE, &format!("{name}: share"));
        }
        let share = float(&record["shares"]["19.0"]);
        let posteriors = SuspectModel::posteriors(&want_ratios, share);
        for (got, want) in posteriors.iter().zip(floats(&record["posteriors"])) {
            others.check(*got, want, TOLERANCE, &format!("{name}: posterior"));
        }
    }
    println!(
        "trees: {trees:?}\nlog ratios: {ratios_agree:?}\nevidence/share/posteriors: {others:?}"
    );
}

#[test]
fn document_probabilities_match_python() {
    let model = DocumentModel::from_file(&data_file("document_model.json")).expect("model");
    let mut agreement = Agreement::default();
    let golden = records("document");
    assert!(golden.len() >= 200);
    for record in &golden {
        let findings = record["findings"].as_u64().expect("findings") as usize;
        let words = record["words"].as_u64().expect("words") as usize;
        let evidence = Evidence {
            suspect_log_ratio: float(&record["suspect_log_ratio"]),
            ..Evidence::default()
        };
        let values = features(findings, &evidence, words);
        for (got, want) in values.iter().zip(floats(&record["features"])) {
            agreement.check(*got, want, TOLERANCE, "feature");
        }
        agreement.check(
            model.probability(&values),
            float(&record["probability"]),
            TOLERANCE,
            "P(spun)",
        );
    }
    println!("document: {agreement:?}");
}

#[test]
fn evidence_adds_field_by_field() {
    let a = Evidence {
        suspects: 3,
        p_below_001: 1,
        p_below_005: 2,
        artefacts: 1,
        neg_log_p: 4.5,
        suspect_log_ratio: -1.25,
        followed: 0,
    };
    let b = Evidence {
        suspects: 5,
        p_below_001: 0,
        p_below_005: 1,
        artefacts: 2,
        neg_log_p: 0.5,
        suspect_log_ratio: 3.0,
        followed: 2,
    };
    let sum = a + b;
    assert_eq!(
        sum,
        Evidence {
            suspects: 8,
            p_below_001: 1,
            p_below_005: 3,
            artefacts: 3,
            neg_log_p: 5.0,
            suspect_log_ratio: 1.75,
            followed: 2
        }
    );
    assert_eq!(a + Evidence::default(), a);
}
