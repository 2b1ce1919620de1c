"""Repeated-question clusters that do not chain: Leiden CPM on the similarity graph (``kb.cluster_density``)."""
from __future__ import annotations

from reef.config import load_config
from reef.config_checks import check_value
from reef.errors import ConfigError
from reef.kb.clusters import cluster_labels
from reef.kb.index import tfidf_vectors

# A ~ B and B ~ C (cosine 0.67 and 0.72), A and C dissimilar (0.05): B is a post about both questions.
CHAIN = ["续航掉多少", "续航电耗多少", "电耗多少"]


def test_the_chain_is_what_it_claims():
    sims = (tfidf_vectors(CHAIN) @ tfidf_vectors(CHAIN).T).toarray()
    assert sims[0, 1] >= 0.6 and sims[1, 2] >= 0.6 and sims[0, 2] < 0.6


def test_a_chain_is_not_one_cluster_under_cpm():
    labels = cluster_labels(CHAIN, threshold=0.6, density=0.5)
    assert labels[0] != labels[2]
    assert len(set(labels.tolist())) == 2  # B joins one side; it is not left alone


def test_density_zero_is_connected_components_which_chain():
    assert cluster_labels(CHAIN, threshold=0.6, density=0.0).tolist() == [0, 0, 0]


def test_a_hub_does_not_join_two_paraphrase_groups():
    winter = ["冬天续航掉多少？", "零下的时候续航衰减厉害吗？", "北方冬天续航大概打几折？", "冬季续航掉多少呢"]
    pickup = ["取送车服务怎么预约？", "APP里怎么约取送车？", "取送车服务怎么约？"]
    texts = winter + pickup + ["冬天续航和取送车服务怎么样？"]
    chained = cluster_labels(texts, threshold=0.5, density=0.0)
    labels = cluster_labels(texts, threshold=0.5, density=0.5)
    assert len(set(chained.tolist())) == 1  # the hub ties both groups together under components
    assert len(set(labels[:4].tolist())) == 1 and len(set(labels[4:7].tolist())) == 1 and labels[0] != labels[4]


def test_copies_found_by_minhash_stay_together():
    # four copy-pastes whose titles share no word: only the MinHash band joins them, and each copy must count as
    # similar to every other (a star from the first copy would be split by the density rule)
    texts = ["怎么装家用充电桩", "冬天续航掉多少", "车机怎么连CarPlay", "保养多久一次"]
    sig = list(range(64))
    assert len(set(cluster_labels(texts, threshold=0.6, density=0.5, minhashes=[sig] * 4).tolist())) == 1
    assert len(set(cluster_labels(texts, threshold=0.6, density=0.5).tolist())) == 4


def test_cluster_density_is_a_share():
    assert check_value("kb", "cluster_density", 0.0, 1.5) == "a number from 0 to 1"
    assert check_value("kb", "cluster_density", 0.0, 0.5) is None
    cfg = load_config().with_overrides({"kb.cluster_density": 0.5})
    assert cfg.section("kb")["cluster_density"] == 0.5
    try:
        load_config().with_overrides({"kb.cluster_density": -0.1})
    except ConfigError:
        pass
    else:
        raise AssertionError("a negative density was accepted")
