"""The tokenizer's training cache knows the jieba dictionary's content: new policy words retrain what they cut."""

from bot.nlu.tokenizer import PolicyJiebaTokenizer


def test_new_words_in_the_dictionary_change_the_tokenizers_cache_key(tmp_path):
    words = tmp_path / "policy_words.txt"
    words.write_text("稳岗返还 10 n\n", encoding="utf-8")
    before = PolicyJiebaTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path)})
    assert before == PolicyJiebaTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path)})
    words.write_text("稳岗返还 10 n\n物流仓储 10 n\n", encoding="utf-8")
    assert PolicyJiebaTokenizer.fingerprint_addon({"dictionary_path": str(tmp_path)}) != before
