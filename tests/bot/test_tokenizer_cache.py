"""The tokenizer's training cache knows the jieba dictionary's content: new policy words retrain what they cut."""

from bot.nlu.tokenizer import PolicyJiebaTokenizer


def test_new_words_in_the_dictionary_change_the_tokenizers_cache_key(tmp_path):
    words = tmp_path / "policy_words.txt"
    words.write_text("稳岗返还 10 n\n", encoding="utf-8")
    before = PolicyJiebaTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path)})
    assert before == PolicyJiebaTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path)})
    words.write_text("稳岗返还 10 n\n物流仓储 10 n\n", encoding="utf-8")
    assert PolicyJiebaTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path)}) != before


def test_a_tokenizer_without_a_dictionary_adds_nothing_to_its_cache_key(tmp_path):
    """Rasa's inference graph names no dictionary path; the working directory must not be read as one."""
    assert PolicyJiebaTokenizer.fingerprint_addon({}) is None
    assert PolicyJiebaTokenizer.fingerprint_addon({"dictionary_path": None}) is None
    assert PolicyJiebaTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path / "missing")}) is None
