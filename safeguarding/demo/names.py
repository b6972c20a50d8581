"""Name parts for synthetic people. Combinations are random; none is a real person."""

FIRST_NAMES = [
    "Alex", "Amira", "Bethan", "Callum", "Chloe", "Daniel", "Deepa", "Eilidh", "Farah", "Gareth",
    "Grace", "Hamza", "Harriet", "Imogen", "Jamal", "Joanne", "Karen", "Kwame", "Laura", "Liam",
    "Maria", "Marek", "Megan", "Nadia", "Naomi", "Oliver", "Priya", "Rachel", "Rhys", "Ruth",
    "Sadia", "Simon", "Sophie", "Tariq", "Tomasz", "Una", "Vikram", "Wendy", "Yusuf", "Zofia",
]
LAST_NAMES = [
    "Ahmed", "Allen", "Bailey", "Begum", "Brennan", "Carter", "Chowdhury", "Clarke", "Davies",
    "Dobson", "Evans", "Fletcher", "Green", "Hall", "Hughes", "Iqbal", "Jackson", "Kaur",
    "Kowalski", "Lewis", "Lloyd", "Mahmood", "Marsh", "Nowak", "Okafor", "Owen", "Patel",
    "Pearson", "Quinn", "Rahman", "Roberts", "Shah", "Singh", "Thomas", "Turner", "Walsh",
    "Ward", "Wilson", "Wright", "Young",
]
